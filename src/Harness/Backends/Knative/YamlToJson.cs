using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Backends.Knative;

/// <summary>
/// Converts a YAML document to a JSON tree. Plain scalars are typed as YAML 1.2's core schema
/// types them (null, booleans, integers, floats), quoted scalars stay strings, so
/// <c>containerConcurrency: 1</c> becomes a number and <c>target: "1"</c> a string.
/// </summary>
internal static class YamlToJson
{
    /// <summary>Parses the single YAML document in <paramref name="yaml"/>.</summary>
    /// <exception cref="FormatException">The text is not YAML, contains no document or more than
    /// one.</exception>
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            throw new FormatException(
                $"invalid YAML at line {exception.Start.Line}, column {exception.Start.Column}: "
                    + exception.Message,
                exception
            );
        }

        if (stream.Documents.Count != 1)
        {
            throw new FormatException(
                $"expected one YAML document, found {stream.Documents.Count}"
            );
        }

        return ToJson(stream.Documents[0].RootNode);
    }

    private static JsonNode? ToJson(YamlNode node) =>
        node switch
        {
            YamlMappingNode mapping => ToObject(mapping),
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
            YamlScalarNode scalar => ToValue(scalar),
            _ => throw new FormatException(
                $"unsupported YAML node {node.NodeType} at line {node.Start.Line}"
            ),
        };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new FormatException($"unsupported non-scalar key at line {key.Start.Line}");
            }

            result[name] = ToJson(value);
        }

        return result;
    }

    private static JsonNode? ToValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (
            long.TryParse(
                text,
                NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture,
                out var integer
            )
        )
        {
            return JsonValue.Create(integer);
        }

        if (
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && char.IsAsciiDigit(text[^1])
        )
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }
}
