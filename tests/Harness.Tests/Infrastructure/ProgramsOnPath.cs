namespace Harness.Tests.Infrastructure;

/// <summary>Looks up programs on PATH, for tests that skip when one is missing.</summary>
public static class ProgramsOnPath
{
    public static bool Contains(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
