namespace Harness.Reporting;

/// <summary>
/// Unit of a time axis: seconds when the largest value plotted is 2 s or more, else
/// milliseconds, so tick labels stay short.
/// </summary>
internal sealed record TimeScale(string Unit, double MillisecondsPerUnit)
{
    public static TimeScale For(IEnumerable<double> milliseconds)
    {
        var max = milliseconds.DefaultIfEmpty(0).Max();
        return max >= 2000 ? new TimeScale("s", 1000) : new TimeScale("ms", 1);
    }

    public double Convert(double milliseconds) => milliseconds / MillisecondsPerUnit;
}
