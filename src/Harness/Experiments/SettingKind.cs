namespace Harness.Experiments;

/// <summary>Shape of a setting in an experiment file.</summary>
internal enum SettingKind
{
    /// <summary>A single value: text, a number or true/false.</summary>
    Scalar,

    /// <summary>A JSON array of values, or one comma-separated value in an override.</summary>
    List,

    /// <summary>A JSON object whose keys are other settings.</summary>
    Section,
}
