using System.Runtime.CompilerServices;

namespace Harness.Tests.Infrastructure;

/// <summary>Applies to the test process what the harness program does at start.</summary>
internal static class TestAssemblySetup
{
    /// <summary>Raises the thread pool's minimum, as <c>harness</c> does in its entry point, so
    /// that the link's timing tests see the same scheduling as a run.</summary>
    [ModuleInitializer]
    internal static void Initialize() => ThreadPoolFloor.Apply();
}
