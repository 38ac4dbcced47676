using System.CommandLine;

namespace Harness.Commands;

/// <summary>The verbs of <c>harness</c>, one factory per concern.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> All()
    {
        yield return RegistryCommands.Create();
    }
}
