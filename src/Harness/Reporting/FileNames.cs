namespace Harness.Reporting;

/// <summary>Turns names from results (workloads, variants) into safe file-name parts.</summary>
internal static class FileNames
{
    /// <summary>Returns the name with every character other than letters, digits, '-', '_'
    /// and '.' replaced by '_'.</summary>
    public static string Safe(string name)
    {
        var characters = name.Select(character =>
            char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.' ? character : '_'
        );
        return new string(characters.ToArray());
    }
}
