namespace Harness.EStargz;

// Placeholder with the converter's signature until the real converter is merged.
public static class EStargzWriter
{
    public static Task<EStargzLayer> ConvertAsync(
        Stream tarInput,
        Stream output,
        EStargzWriterOptions options,
        CancellationToken cancellationToken) =>
        throw new NotImplementedException("The eStargz converter is not merged yet.");
}
