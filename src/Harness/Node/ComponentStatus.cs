namespace Harness.Node;

/// <summary>One line of <c>harness node status</c>.</summary>
public sealed record ComponentStatus(
    string Name,
    string Version,
    int? Pid,
    string Endpoint,
    bool Healthy,
    string Detail
);
