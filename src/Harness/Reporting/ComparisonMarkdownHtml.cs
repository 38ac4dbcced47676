using System.Text;
using System.Xml.Linq;

namespace Harness.Reporting;

/// <summary>
/// Converts <c>compare.md</c> to HTML elements for the report. It reads the Markdown subset
/// that <see cref="ComparisonMarkdown"/> writes (ATX headings, "- " list items, pipe tables,
/// <c>**strong**</c> and <c>`code`</c> spans) and shows any other line as plain text. A full
/// Markdown renderer would also pass raw HTML and links from the file into the page, which
/// the report must not do.
/// </summary>
public static class ComparisonMarkdownHtml
{
    /// <summary>Returns the elements for <paramref name="markdown"/>, in document order.
    /// </summary>
    public static IReadOnlyList<XElement> Convert(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var elements = new List<XElement>();
        XElement? list = null;
        var tableLines = new List<string>();
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('|'))
            {
                list = null;
                tableLines.Add(trimmed);
                continue;
            }

            if (tableLines.Count > 0)
            {
                elements.Add(Table(tableLines));
                tableLines.Clear();
            }

            if (trimmed.StartsWith("- ", StringComparison.Ordinal))
            {
                if (list is null)
                {
                    list = new XElement("ul");
                    elements.Add(list);
                }

                list.Add(new XElement("li", Inline(trimmed[2..])));
                continue;
            }

            list = null;
            if (trimmed.Length == 0)
            {
                continue;
            }

            var level = trimmed.TakeWhile(character => character == '#').Count();
            if (level is > 0 and <= 6 && trimmed.Length > level && trimmed[level] == ' ')
            {
                // The report's own headings are h1 and h2, so the file's start at h3.
                var name = "h" + Math.Min(level + 2, 6);
                elements.Add(new XElement(name, Inline(trimmed[(level + 1)..].Trim())));
                continue;
            }

            elements.Add(new XElement("p", Inline(trimmed)));
        }

        if (tableLines.Count > 0)
        {
            elements.Add(Table(tableLines));
        }

        return elements;
    }

    private static XElement Table(IReadOnlyList<string> lines)
    {
        var rows = lines.Select(Cells).ToList();

        // GitHub Flavored Markdown, "Tables": the second line is the delimiter row, whose
        // cells are dashes with an optional colon on either side that sets the alignment.
        var hasDelimiter =
            rows.Count > 1
            && rows[1]
                .All(cell =>
                    cell.Trim().Trim(':').Length > 0 && cell.Trim().Trim(':').All(c => c == '-')
                );
        if (!hasDelimiter)
        {
            return new XElement("pre", string.Join("\n", lines));
        }

        var rightAligned = rows[1].Select(cell => cell.Trim().EndsWith(':')).ToList();
        var table = new XElement("table", new XAttribute("class", "comparison"));
        table.Add(
            new XElement(
                "thead",
                new XElement(
                    "tr",
                    rows[0].Select((cell, index) => Cell("th", cell, index, rightAligned))
                )
            )
        );
        table.Add(
            new XElement(
                "tbody",
                rows.Skip(2)
                    .Select(row => new XElement(
                        "tr",
                        row.Select((cell, index) => Cell("td", cell, index, rightAligned))
                    ))
            )
        );
        return table;
    }

    private static XElement Cell(
        string name,
        string text,
        int index,
        IReadOnlyList<bool> rightAligned
    ) =>
        new(
            name,
            index < rightAligned.Count && rightAligned[index]
                ? new XAttribute("class", "number")
                : null,
            Inline(text.Trim())
        );

    /// <summary>Splits a table line at the pipes that are not escaped as <c>\|</c>.</summary>
    private static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var body = line.Trim();
        body = body.StartsWith('|') ? body[1..] : body;
        body =
            body.EndsWith('|') && !body.EndsWith("\\|", StringComparison.Ordinal)
                ? body[..^1]
                : body;
        for (var index = 0; index < body.Length; index++)
        {
            if (body[index] == '\\' && index + 1 < body.Length && body[index + 1] == '|')
            {
                cell.Append('|');
                index++;
            }
            else if (body[index] == '|')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(body[index]);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }

    /// <summary>Turns <c>**strong**</c> and <c>`code`</c> spans into elements; everything else
    /// stays text, which serialization escapes.</summary>
    private static List<object> Inline(string text)
    {
        var nodes = new List<object>();
        var plain = new StringBuilder();
        var index = 0;
        while (index < text.Length)
        {
            var (marker, name) =
                text.AsSpan(index).StartsWith("**") ? ("**", "strong")
                : text[index] == '`' ? ("`", "code")
                : ("", "");
            var end =
                marker.Length > 0
                    ? text.IndexOf(marker, index + marker.Length, StringComparison.Ordinal)
                    : -1;
            if (end < 0)
            {
                plain.Append(text[index]);
                index++;
                continue;
            }

            if (plain.Length > 0)
            {
                nodes.Add(plain.ToString());
                plain.Clear();
            }

            nodes.Add(new XElement(name, text[(index + marker.Length)..end]));
            index = end + marker.Length;
        }

        if (plain.Length > 0)
        {
            nodes.Add(plain.ToString());
        }

        return nodes;
    }
}
