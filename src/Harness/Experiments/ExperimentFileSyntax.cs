using System.Text.Json;

namespace Harness.Experiments;

/// <summary>
/// Checks that an experiment file is a JSON object that the configuration reader can load:
/// well-formed, an object at the top, and no key twice in one object.
/// </summary>
internal static class ExperimentFileSyntax
{
    // The same leniency as the configuration JSON provider: comments and trailing commas.
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Adds a problem for each syntax error found; returns true when there were none.
    /// </summary>
    public static bool Check(ReadOnlyMemory<byte> content, List<ExperimentProblem> problems)
    {
        var problemsBefore = problems.Count;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(SkipByteOrderMark(content), Options);
        }
        catch (JsonException exception)
        {
            // The reader counts lines and bytes from zero; editors count from one.
            var line = (exception.LineNumber ?? 0) + 1;
            var position = (exception.BytePositionInLine ?? 0) + 1;
            problems.Add(
                new ExperimentProblem(
                    "",
                    $"malformed JSON at line {line}, "
                        + $"position {position}: {FirstSentence(exception)}"
                )
            );
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                var kind = document.RootElement.ValueKind.ToString().ToLowerInvariant();
                problems.Add(
                    new ExperimentProblem(
                        "",
                        $"found a JSON {kind} at the top of the file, expected a JSON object such "
                            + "as {\"workloads\": [...]}"
                    )
                );
                return false;
            }

            ReportDuplicateKeys(document.RootElement, "", problems);
        }

        return problems.Count == problemsBefore;
    }

    // Configuration keys ignore case, so "seed" and "Seed" in one object are the same key.
    private static void ReportDuplicateKeys(
        JsonElement element,
        string path,
        List<ExperimentProblem> problems
    )
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                ReportDuplicateKeys(item, $"{path}[{index++}]", problems);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (!seen.Add(property.Name))
            {
                problems.Add(
                    new ExperimentProblem(
                        propertyPath,
                        "the key appears more than once in its object (keys ignore case), "
                            + "expected each key once"
                    )
                );
            }

            ReportDuplicateKeys(property.Value, propertyPath, problems);
        }
    }

    private static ReadOnlyMemory<byte> SkipByteOrderMark(ReadOnlyMemory<byte> content) =>
        content.Span.StartsWith("\uFEFF"u8) ? content[3..] : content;

    // The reader's message ends with its own "LineNumber: ... | BytePositionInLine: ..." suffix,
    // which the problem already states in words.
    private static string FirstSentence(JsonException exception)
    {
        var message = exception.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return suffix < 0 ? message : message[..suffix].TrimEnd();
    }
}
