namespace Harness.Registry;

/// <summary>How a blob came to be in the target repository.</summary>
public enum BlobPushOutcome
{
    /// <summary>The registry already had the blob in the repository; nothing was sent.</summary>
    AlreadyPresent,

    /// <summary>The registry linked the blob from another repository (cross-repository
    /// mount); nothing was sent.</summary>
    Mounted,

    /// <summary>The blob's bytes were uploaded.</summary>
    Uploaded,
}
