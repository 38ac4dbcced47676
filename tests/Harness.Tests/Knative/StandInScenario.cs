namespace Harness.Tests.Knative;

/// <summary>How the stand-in cluster plays a cold start once the ingress receives a request.
/// </summary>
internal enum StandInScenario
{
    /// <summary>Pod created, scheduled, image pulled, container created, started, ready.</summary>
    HappyPath,

    /// <summary>The image pull fails with ErrImagePull; the pod never starts.</summary>
    ImagePullFailure,

    /// <summary>The container starts but its readiness probe never succeeds.</summary>
    NeverReady,
}
