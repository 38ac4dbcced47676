namespace Harness;

/// <summary>Entry point of the <c>harness</c> command.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        ThreadPoolFloor.Apply();
        return Commands.CommandLine.RunAsync(args);
    }
}
