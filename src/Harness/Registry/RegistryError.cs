namespace Harness.Registry;

/// <summary>
/// One entry of an error body from a registry, <c>{"errors": [{"code", "message", "detail"}]}</c>
/// as the distribution specification defines it. <see cref="Detail"/> is the raw JSON text of
/// the optional detail, or null.
/// </summary>
public sealed record RegistryError(string Code, string Message, string? Detail);
