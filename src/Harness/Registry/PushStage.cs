namespace Harness.Registry;

/// <summary>State of one blob or manifest during a push.</summary>
public enum PushStage
{
    /// <summary>The registry already had the blob; nothing was sent.</summary>
    Existing,

    /// <summary>The registry linked the blob from another repository; nothing was sent.</summary>
    Mounted,

    /// <summary>Bytes are being sent; <see cref="PushProgress.BytesSent"/> grows.</summary>
    Uploading,

    /// <summary>The blob was uploaded and the registry confirmed its digest.</summary>
    Uploaded,

    /// <summary>The blob is non-distributable (its descriptor has URLs and the layout lacks
    /// it), so it was not pushed, as the OCI image specification allows.</summary>
    Foreign,

    /// <summary>A manifest or index was stored.</summary>
    ManifestPushed,
}
