using System.CommandLine;

namespace Harness.Commands;

/// <summary>The verbs of <c>harness</c>, one factory per concern.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> All()
    {
        yield return NodeCommands.Create();
        yield return ValidateCommand.Create();
        yield return RunCommand.Create();
        foreach (var command in ReportCommands.Create())
            yield return command;
        yield return HtmlReportCommand.Create();
        yield return EStargzCommands.Create();
        yield return ImageCommands.Create();
        yield return RegistryCommands.Create();
    }
}
