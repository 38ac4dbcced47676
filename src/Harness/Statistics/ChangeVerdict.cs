namespace Harness.Statistics;

/// <summary>Outcome of comparing one phase between a base run and a new run.</summary>
public enum ChangeVerdict
{
    /// <summary>Within the threshold, or not statistically significant.</summary>
    Unchanged,

    /// <summary>Slower beyond the threshold and significant: a regression.</summary>
    Slower,

    /// <summary>Faster beyond the threshold and significant.</summary>
    Faster,

    /// <summary>One of the runs has no measured value for this phase.</summary>
    Missing,
}
