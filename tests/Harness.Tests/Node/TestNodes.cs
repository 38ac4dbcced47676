using Harness.Node;

namespace Harness.Tests.Node;

/// <summary>Node layouts for tests: their own state, sockets and registry port, apart from a
/// node a user may be running, and the shared build cache so the daemon is built once.</summary>
public static class TestNodes
{
    public static NodeLayout Layout(string name, int registryPort) =>
        new()
        {
            StateRoot = $"/var/lib/harness-tests/{name}",
            RunRoot = $"/run/harness-tests/{name}",
            CacheRoot = HarnessPaths.CacheRoot,
            RegistryPort = registryPort,
        };
}
