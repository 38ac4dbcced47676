using System.Xml.Linq;
using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class HtmlDocumentTests
{
    [Fact]
    public void EmptyElementsGetEndTags()
    {
        var page = HtmlDocument.Serialize(
            new XElement("html", new XElement("body", new XElement("td"), new XElement("br")))
        );

        // <td /> would be an unclosed start tag to an HTML parser; <br /> is a void element.
        Assert.Contains("<td></td>", page);
        Assert.Contains("<br />", page);
    }

    [Fact]
    public void ControlCharactersBecomeEscapes()
    {
        var page = HtmlDocument.Serialize(
            new XElement(
                "html",
                new XElement("p", new XAttribute("title", "a\u0001"), "\u001b[31mred\u001b[0m")
            )
        );

        Assert.Contains("\\u001B[31mred\\u001B[0m", page);
        Assert.Contains("title=\"a\\u0001\"", page);
    }

    [Fact]
    public void SurrogatePairsAreKept()
    {
        Assert.Equal("🙂", HtmlDocument.ReplaceInvalidCharacters("🙂"));
        Assert.Equal("\\uD83D", HtmlDocument.ReplaceInvalidCharacters("\uD83D"));
    }
}
