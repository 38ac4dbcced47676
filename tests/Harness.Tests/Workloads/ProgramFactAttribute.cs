using Xunit;

namespace Harness.Tests.Workloads;

/// <summary>A test that starts an installed program. It is skipped, naming the package to
/// install, when the program is missing, and it has a timeout.</summary>
public sealed class ProgramFactAttribute : FactAttribute
{
    public ProgramFactAttribute(string program, string package)
    {
        Timeout = 60_000;
        if (!File.Exists(program))
        {
            Skip = $"{program} is missing. Install it with 'apt-get install {package}'.";
        }
    }
}
