using Harness.Backends.Knative;
using Xunit;

namespace Harness.Tests.Knative;

/// <summary>Validation of the <c>knative.ingress</c> setting.</summary>
public sealed class IngressAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:31080", "http://127.0.0.1:31080/")]
    [InlineData("127.0.0.1:80", "http://127.0.0.1/")]
    [InlineData("localhost:8080", "http://localhost:8080/")]
    [InlineData("[::1]:31080", "http://[::1]:31080/")]
    public void IngressAddressAcceptsHostAndPort(string ingress, string expected)
    {
        Assert.Equal(new Uri(expected), IngressClient.ParseAddress(ingress));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("http://127.0.0.1:31080")]
    [InlineData("127.0.0.1:31080/path")]
    public void IngressAddressRejectsOtherText(string? ingress)
    {
        var exception = Assert.Throws<HarnessException>(() => IngressClient.ParseAddress(ingress));

        Assert.Contains("expected host:port", exception.Message);
    }
}
