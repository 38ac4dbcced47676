using Harness.Backends.Knative;
using Xunit;

namespace Harness.Tests.Knative;

/// <summary>Naming the missing permission from the API server's 403 message.</summary>
public sealed class KubernetesApiErrorTests
{
    [Fact]
    public void PermissionOfNamespacedCustomResource()
    {
        var text = KubernetesApiError.DescribeMissingPermission(
            "services.serving.knative.dev is forbidden: User \"alice\" cannot create resource "
                + "\"services\" in API group \"serving.knative.dev\" in the namespace \"bench\""
        );

        Assert.NotNull(text);
        Assert.Contains(
            "verb \"create\" on resource \"services\" in API group "
                + "\"serving.knative.dev\" in namespace \"bench\"",
            text
        );
        Assert.Contains(
            "kubectl create role harness-create --verb=create "
                + "--resource=services.serving.knative.dev -n bench",
            text
        );
    }

    [Fact]
    public void PermissionOfCoreResource()
    {
        var text = KubernetesApiError.DescribeMissingPermission(
            "pods is forbidden: User \"alice\" cannot watch resource \"pods\" in API group "
                + "\"\" in the namespace \"default\""
        );

        Assert.NotNull(text);
        Assert.Contains("verb \"watch\" on resource \"pods\" in the core API group", text);
        Assert.Contains("--verb=watch --resource=pods -n default", text);
    }

    [Fact]
    public void PermissionAtClusterScope()
    {
        var text = KubernetesApiError.DescribeMissingPermission(
            "nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in API group "
                + "\"\" at the cluster scope"
        );

        Assert.NotNull(text);
        Assert.Contains(
            "verb \"list\" on resource \"nodes\" in the core API group at " + "cluster scope",
            text
        );
        Assert.Contains(
            "kubectl create clusterrole harness-list --verb=list --resource=nodes",
            text
        );
    }

    [Fact]
    public void UnrecognisedMessageGivesNoPermission()
    {
        Assert.Null(KubernetesApiError.DescribeMissingPermission("forbidden by policy"));
    }
}
