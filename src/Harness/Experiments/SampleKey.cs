using Harness.Images;
using Harness.Measurement;

namespace Harness.Experiments;

/// <summary>
/// Identity of one sample within a plan: the same key in the results of an earlier run means
/// that sample is done.
/// </summary>
public readonly record struct SampleKey(
    string Workload,
    ImageVariant Variant,
    int Repetition,
    bool Warmup
)
{
    /// <summary>Creates the key of a recorded sample; throws when its variant name is unknown.
    /// </summary>
    public static SampleKey FromSample(ColdStartSample sample)
    {
        if (!ImageVariantNames.TryParse(sample.Variant, out var variant))
        {
            throw new HarnessException(
                $"Recorded sample {sample.Sequence} has the unknown variant '{sample.Variant}'; "
                    + $"expected one of {string.Join(", ", ImageVariantNames.All)}. "
                    + "The results file is not from this version of the harness."
            );
        }

        return new SampleKey(sample.Workload, variant, sample.Repetition, sample.Warmup);
    }

    /// <summary>Formats the key as in logs: workload (variant) warm-up or repetition N.</summary>
    public override string ToString()
    {
        var kind = Warmup ? "warm-up" : "repetition";
        return $"{Workload} ({Variant.ToName()}) {kind} {Repetition}";
    }
}
