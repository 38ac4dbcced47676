namespace Harness.Backends.Knative;

/// <summary>A Knative Service the backend deployed and saw become ready.</summary>
/// <param name="Name">Service name.</param>
/// <param name="Host">Host name from the service's <c>status.url</c>, sent in the Host
/// header through the ingress.</param>
/// <param name="ContainerName">Name of the function's container in its pods.</param>
/// <param name="ImageReference">Image the service runs.</param>
internal sealed record DeployedService(
    string Name,
    string Host,
    string ContainerName,
    string ImageReference
);
