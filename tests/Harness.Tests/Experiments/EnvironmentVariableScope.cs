namespace Harness.Tests.Experiments;

/// <summary>Sets process environment variables and restores their earlier values on dispose.
/// </summary>
public sealed class EnvironmentVariableScope : IDisposable
{
    private readonly Dictionary<string, string?> saved = [];

    /// <summary>Sets a variable, or removes it when the value is null.</summary>
    public EnvironmentVariableScope Set(string name, string? value)
    {
        saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
