using System.Net;
using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class RegistryErrorParserTests
{
    [Fact]
    public void ErrorsArrayGivesCodeMessageAndDetail()
    {
        var errors = RegistryErrorParser.Parse(
            """
            {"errors":[
              {"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry",
               "detail":"sha256:abc"},
              {"code":"DENIED","message":"no","detail":{"reason":"quota"}}
            ]}
            """
        );

        Assert.Equal(2, errors.Count);
        Assert.Equal(
            new RegistryError("MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", "sha256:abc"),
            errors[0]
        );
        Assert.Equal("DENIED", errors[1].Code);
        Assert.Equal("""{"reason":"quota"}""", errors[1].Detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>bad gateway</html>")]
    [InlineData("""{"message":"not the error format"}""")]
    [InlineData("""{"errors":"not an array"}""")]
    public void OtherBodiesGiveNoErrors(string body)
    {
        Assert.Empty(RegistryErrorParser.Parse(body));
    }

    [Fact]
    public void UnparsedBodyIsShownOnOneLine()
    {
        var text = RegistryErrorParser.DescribeUnparsedBody("<html>\n  bad\n gateway</html>", []);

        Assert.Equal("<html> bad gateway</html>", text);
    }

    [Fact]
    public void UnauthorizedSuggestsDockerLogin()
    {
        var step = RegistryErrorParser.SuggestNextStep(
            HttpStatusCode.Unauthorized,
            [],
            "127.0.0.1:15100"
        );

        Assert.Contains("docker login 127.0.0.1:15100", step);
    }

    [Fact]
    public void ExceptionMessageNamesOperationPathStatusAndCodes()
    {
        var exception = new RegistryException(
            "put manifest app:v1",
            "PUT",
            "/v2/app/manifests/v1",
            HttpStatusCode.BadRequest,
            [new RegistryError("MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", "sha256:1")],
            "push the blobs first."
        );

        Assert.Contains("put manifest app:v1", exception.Message);
        Assert.Contains("PUT /v2/app/manifests/v1", exception.Message);
        Assert.Contains("400 BadRequest", exception.Message);
        Assert.Contains(
            "MANIFEST_BLOB_UNKNOWN: blob unknown to registry (sha256:1)",
            exception.Message
        );
        Assert.Contains("Next step: push the blobs first.", exception.Message);
        Assert.True(exception.HasErrorCode("MANIFEST_BLOB_UNKNOWN"));
    }
}
