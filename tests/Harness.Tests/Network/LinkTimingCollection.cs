using Xunit;

namespace Harness.Tests.Network;

/// <summary>
/// Tests that time traffic through the link or start servers. They run alone, so other tests
/// do not take the CPU that the link's timers need. Also, xunit 2 supports test timeouts only
/// in a collection without parallelization.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LinkTimingCollection
{
    public const string Name = "Link timing";
}
