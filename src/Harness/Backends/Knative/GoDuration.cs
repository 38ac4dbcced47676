using System.Globalization;

namespace Harness.Backends.Knative;

/// <summary>
/// Parses durations printed by Go's <c>time.Duration.String</c>, the format kubelet uses in
/// its events: a sequence of decimal numbers with units, such as <c>1m2.5s</c>,
/// <c>523.4ms</c> or <c>850µs</c>.
/// </summary>
internal static class GoDuration
{
    /// <summary>Parses <paramref name="text"/>; returns false when it is not a Go duration.
    /// </summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // Go prints a zero duration as "0s" and a bare "0" is also valid input to
        // time.ParseDuration.
        if (text == "0")
        {
            return true;
        }

        var position = 0;
        var totalTicks = 0.0;
        while (position < text.Length)
        {
            var numberStart = position;
            while (
                position < text.Length
                && (char.IsAsciiDigit(text[position]) || text[position] == '.')
            )
            {
                position++;
            }

            if (
                position == numberStart
                || !double.TryParse(
                    text.AsSpan(numberStart, position - numberStart),
                    NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture,
                    out var value
                )
            )
            {
                return false;
            }

            var unitStart = position;
            while (
                position < text.Length
                && !char.IsAsciiDigit(text[position])
                && text[position] != '.'
            )
            {
                position++;
            }

            var ticksPerUnit = TicksPerUnit(text[unitStart..position]);
            if (ticksPerUnit is null)
            {
                return false;
            }

            totalTicks += value * ticksPerUnit.Value;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(totalTicks));
        return true;
    }

    // Units of Go's time package; "µ" (U+00B5) and "μ" (U+03BC) both mean micro.
    private static double? TicksPerUnit(string unit) =>
        unit switch
        {
            "ns" => TimeSpan.TicksPerMillisecond / 1_000_000.0,
            "us" or "\u00b5s" or "\u03bcs" => TimeSpan.TicksPerMillisecond / 1_000.0,
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => null,
        };
}
