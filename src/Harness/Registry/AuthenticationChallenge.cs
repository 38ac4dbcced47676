using System.Net.Http.Headers;
using System.Text;

namespace Harness.Registry;

/// <summary>
/// One challenge from a <c>WWW-Authenticate</c> header (RFC 7235 section 4.1), such as
/// <c>Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"</c>.
/// Parameter names are case-insensitive.
/// </summary>
internal sealed record AuthenticationChallenge(
    string Scheme,
    IReadOnlyDictionary<string, string> Parameters
)
{
    /// <summary>Returns a parameter's value, or null when the challenge has none.</summary>
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses the challenges of a response, skipping ones that are malformed.</summary>
    public static IReadOnlyList<AuthenticationChallenge> FromHeaders(
        HttpHeaderValueCollection<AuthenticationHeaderValue> headers
    ) =>
        headers
            .Select(header => new AuthenticationChallenge(
                header.Scheme,
                ParseParameters(header.Parameter ?? "")
            ))
            .ToList();

    /// <summary>Parses a comma-separated list of <c>name=value</c> or
    /// <c>name="quoted \"value\""</c> pairs.</summary>
    public static IReadOnlyDictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        while (position < text.Length)
        {
            SkipSeparators(text, ref position);
            var equals = text.IndexOf('=', position);
            if (equals < 0)
            {
                break;
            }

            var name = text[position..equals].Trim();
            position = equals + 1;
            var value =
                text.ElementAtOrDefault(position) == '"'
                    ? ReadQuoted(text, ref position)
                    : ReadToken(text, ref position);
            if (name.Length > 0)
            {
                result[name] = value;
            }
        }

        return result;
    }

    private static void SkipSeparators(string text, ref int position)
    {
        while (
            position < text.Length && (text[position] == ',' || char.IsWhiteSpace(text[position]))
        )
        {
            position++;
        }
    }

    private static string ReadToken(string text, ref int position)
    {
        var end = text.IndexOf(',', position);
        if (end < 0)
        {
            end = text.Length;
        }

        var value = text[position..end].Trim();
        position = end;
        return value;
    }

    // quoted-string (RFC 7230 section 3.2.6): a backslash escapes the next character.
    private static string ReadQuoted(string text, ref int position)
    {
        var value = new StringBuilder();
        position++;
        while (position < text.Length)
        {
            var character = text[position++];
            if (character == '"')
            {
                break;
            }

            if (character == '\\' && position < text.Length)
            {
                character = text[position++];
            }

            value.Append(character);
        }

        return value.ToString();
    }
}
