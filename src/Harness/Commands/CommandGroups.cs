using System.CommandLine;

namespace Harness.Commands;

/// <summary>The verbs of <c>harness</c>, one factory per concern.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> All()
    {
        yield return EStargzCommands.Create();
        yield return ImageCommands.Create();
    }
}
