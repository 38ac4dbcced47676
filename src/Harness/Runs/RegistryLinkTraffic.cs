using Harness.Backends.Local;
using Harness.Network;

namespace Harness.Runs;

/// <summary>Counts registry-to-node bytes with the link's own counters.</summary>
internal sealed class RegistryLinkTraffic(RegistryLink link) : IRegistryTraffic
{
    public long BytesToNode => link.BytesToNode;

    public void ResetCounters() => link.ResetCounters();
}
