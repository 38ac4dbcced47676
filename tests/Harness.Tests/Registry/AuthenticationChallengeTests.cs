using Harness.Registry;

namespace Harness.Tests.Registry;

public sealed class AuthenticationChallengeTests
{
    [Fact]
    public void ParametersOfBearerChallengeAreRead()
    {
        var parameters = AuthenticationChallenge.ParseParameters(
            "realm=\"https://auth.example/token\",service=\"registry.example\","
                + "scope=\"repository:a/b:pull,push repository:c:pull\""
        );

        Assert.Equal("https://auth.example/token", parameters["realm"]);
        Assert.Equal("registry.example", parameters["service"]);
        Assert.Equal("repository:a/b:pull,push repository:c:pull", parameters["scope"]);
    }

    [Fact]
    public void QuotedValueKeepsEscapedQuoteAndComma()
    {
        var parameters = AuthenticationChallenge.ParseParameters(
            "realm=\"say \\\"hi\\\", then go\", error=invalid_token"
        );

        Assert.Equal("say \"hi\", then go", parameters["realm"]);
        Assert.Equal("invalid_token", parameters["error"]);
    }

    [Fact]
    public void ParameterNamesIgnoreCase()
    {
        var parameters = AuthenticationChallenge.ParseParameters("Realm=basic-realm");

        Assert.Equal("basic-realm", parameters["realm"]);
    }

    [Fact]
    public void EmptyParameterTextGivesNoParameters()
    {
        Assert.Empty(AuthenticationChallenge.ParseParameters(""));
    }
}
