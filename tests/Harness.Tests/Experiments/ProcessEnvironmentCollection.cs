using Xunit;

namespace Harness.Tests.Experiments;

/// <summary>
/// Tests that change process-wide state (environment variables, the console). xUnit runs this
/// collection on its own after the parallel ones, so no other test sees the changes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
