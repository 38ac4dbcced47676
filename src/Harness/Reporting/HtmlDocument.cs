using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Harness.Reporting;

/// <summary>
/// Serializes an <c>html</c> element tree as a page that both HTML and XML parsers read: the
/// HTML5 doctype, then the tree in XML syntax. Building the page from
/// <see cref="XElement"/> and <see cref="XText"/> nodes escapes every value on output, so text
/// taken from result files can never become markup.
/// </summary>
public static class HtmlDocument
{
    // HTML void elements (HTML Living Standard, "Void elements"): written as <br />. Any other
    // element written as <x /> would be read by an HTML parser as an unclosed start tag.
    private static readonly HashSet<string> VoidElements =
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ];

    /// <summary>Returns the page text for <paramref name="html"/>, starting with the
    /// doctype.</summary>
    public static string Serialize(XElement html)
    {
        var page = new XElement(html);
        foreach (var element in page.DescendantsAndSelf())
        {
            foreach (var attribute in element.Attributes())
            {
                attribute.Value = ReplaceInvalidCharacters(attribute.Value);
            }

            if (element.IsEmpty && !VoidElements.Contains(element.Name.LocalName))
            {
                element.Value = "";
            }
        }

        foreach (var text in page.DescendantNodes().OfType<XText>())
        {
            text.Value = ReplaceInvalidCharacters(text.Value);
        }

        var output = new StringBuilder("<!DOCTYPE html>\n");
        var settings = new XmlWriterSettings
        {
            OmitXmlDeclaration = true,
            Indent = true,
            IndentChars = " ",
            NewLineChars = "\n",
        };
        using (var writer = XmlWriter.Create(output, settings))
        {
            page.WriteTo(writer);
        }

        output.Append('\n');
        return output.ToString();
    }

    /// <summary>
    /// Returns the text with every character that XML 1.0 forbids (control characters such as
    /// the escape of a coloured log line, lone surrogates) written as a visible \uXXXX escape,
    /// so an error message keeps all its information and the page stays well-formed.
    /// </summary>
    public static string ReplaceInvalidCharacters(string text)
    {
        StringBuilder? cleaned = null;
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            if (
                char.IsHighSurrogate(character)
                && index + 1 < text.Length
                && char.IsLowSurrogate(text[index + 1])
            )
            {
                cleaned?.Append(character).Append(text[index + 1]);
                index++;
                continue;
            }

            if (XmlConvert.IsXmlChar(character))
            {
                cleaned?.Append(character);
                continue;
            }

            cleaned ??= new StringBuilder(text, 0, index, text.Length + 8);
            cleaned.Append($"\\u{(int)character:X4}");
        }

        return cleaned?.ToString() ?? text;
    }
}
