using Harness.Backends.Local;

namespace Harness.Tests.Backends;

/// <summary>Registry traffic counter whose count the test sets, to check it reaches the row.
/// </summary>
internal sealed class CountingTraffic : IRegistryTraffic
{
    public long BytesToNode { get; set; }
    public int Resets { get; private set; }

    public void ResetCounters()
    {
        Resets++;
        BytesToNode = 0;
    }
}
