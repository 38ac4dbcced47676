using System.Xml.Linq;
using Harness.Reporting;
using Xunit;

namespace Harness.Tests.Reporting;

public sealed class ComparisonMarkdownHtmlTests
{
    private static string Serialize(IEnumerable<XElement> elements) =>
        string.Concat(elements.Select(element => element.ToString(SaveOptions.DisableFormatting)));

    [Fact]
    public void TableKeepsEscapedPipesAndAlignment()
    {
        var elements = ComparisonMarkdownHtml.Convert(
            "| name | ms |\n|---|---:|\n| a\\|b | 1.5 |\n"
        );

        var table = Assert.Single(elements);
        Assert.Equal(
            "<table class=\"comparison\"><thead><tr><th>name</th><th class=\"number\">ms</th>"
                + "</tr></thead><tbody><tr><td>a|b</td><td class=\"number\">1.5</td></tr></tbody>"
                + "</table>",
            Serialize([table])
        );
    }

    [Fact]
    public void HeadingsListsAndSpansBecomeElements()
    {
        var elements = ComparisonMarkdownHtml.Convert(
            "# Title\n\n- base: `/tmp/a`\n- new: `/tmp/b`\n\n**Verdict: fine.**\n"
        );

        Assert.Equal(
            "<h3>Title</h3><ul><li>base: <code>/tmp/a</code></li><li>new: <code>/tmp/b</code>"
                + "</li></ul><p><strong>Verdict: fine.</strong></p>",
            Serialize(elements)
        );
    }

    [Fact]
    public void RawHtmlStaysText()
    {
        var elements = ComparisonMarkdownHtml.Convert(
            "<img src=x onerror=alert(1)> [link](javascript:alert(1))\n"
        );

        var paragraph = Assert.Single(elements);
        Assert.Empty(paragraph.Elements());
        Assert.Equal(
            "<p>&lt;img src=x onerror=alert(1)&gt; [link](javascript:alert(1))</p>",
            Serialize([paragraph])
        );
    }

    [Fact]
    public void UnclosedMarkerStaysText()
    {
        var paragraph = Assert.Single(ComparisonMarkdownHtml.Convert("a ** b ` c"));

        Assert.Empty(paragraph.Elements());
        Assert.Equal("a ** b ` c", paragraph.Value);
    }
}
