namespace Harness.Backends.Local;

/// <summary>Counts the bytes the registry sends to the node, per sample.</summary>
public interface IRegistryTraffic
{
    /// <summary>Bytes sent from the registry to the node since the last reset.</summary>
    long BytesToNode { get; }

    /// <summary>Starts counting from zero.</summary>
    void ResetCounters();
}
