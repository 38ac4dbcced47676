using BenchmarkDotNet.Running;

namespace Harness.Benchmarks;

/// <summary>Entry point that lets BenchmarkDotNet pick benchmarks from the command line.</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
