using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Backends.Knative;

/// <summary>
/// What kubelet reported about one image pull in the message of its <c>Pulled</c> event.
/// </summary>
/// <param name="Image">Image reference named in the message.</param>
/// <param name="PullDuration">Time kubelet spent pulling; null when the image was already
/// present.</param>
/// <param name="DurationIncludingWaiting">Pull time plus the wait in kubelet's pull queue;
/// null when the message does not report it (kubelet before 1.28).</param>
/// <param name="ImageSizeBytes">Image size kubelet reported (kubelet 1.30 and later).</param>
/// <param name="AlreadyPresent">True when kubelet found the image on the node and pulled
/// nothing.</param>
internal sealed partial record KubeletPullReport(
    string Image,
    TimeSpan? PullDuration,
    TimeSpan? DurationIncludingWaiting,
    long? ImageSizeBytes,
    bool AlreadyPresent
)
{
    /// <summary>Parses a <c>Pulled</c> event message; returns null for any other text.
    /// </summary>
    public static KubeletPullReport? Parse(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var present = AlreadyPresentPattern().Match(message);
        if (present.Success)
        {
            return new KubeletPullReport(present.Groups["image"].Value, null, null, null, true);
        }

        var pulled = PulledPattern().Match(message);
        if (!pulled.Success || !GoDuration.TryParse(pulled.Groups["pull"].Value, out var pull))
        {
            return null;
        }

        TimeSpan? withWaiting = null;
        if (
            pulled.Groups["waiting"].Success
            && GoDuration.TryParse(pulled.Groups["waiting"].Value, out var waiting)
        )
        {
            withWaiting = waiting;
        }

        long? size = pulled.Groups["size"].Success
            ? long.Parse(pulled.Groups["size"].Value, CultureInfo.InvariantCulture)
            : null;
        return new KubeletPullReport(pulled.Groups["image"].Value, pull, withWaiting, size, false);
    }

    // kubelet 1.2x: Successfully pulled image "IMAGE" in 1.234s (1.234s including waiting).
    // Image size: 1234 bytes.  Before 1.28 the message ends after the first duration.
    [GeneratedRegex(
        "^Successfully pulled image \"(?<image>[^\"]*)\" in "
            + "(?<pull>(?:[0-9.]+[a-zµμ]+)+)"
            + "(?: \\((?<waiting>[^ ]+) including waiting\\))?"
            + "(?:\\.? ?Image size: (?<size>[0-9]+) bytes)?"
    )]
    private static partial Regex PulledPattern();

    [GeneratedRegex("^Container image \"(?<image>[^\"]*)\" already present on machine")]
    private static partial Regex AlreadyPresentPattern();
}
