using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;

namespace Harness.Tests.Knative;

/// <summary>
/// A stand-in for a Kubernetes API server with Knative Serving, on 127.0.0.1. It serves the
/// few endpoints the Knative backend calls (version, API discovery, nodes, Knative Services,
/// pods, events), streams watches as newline-delimited JSON, and plays a scripted cold start
/// when its ingress stand-in receives a request. It is not a cluster: it keeps objects in
/// memory and checks nothing but the permissions a test forbids.
/// </summary>
internal sealed partial class KubernetesApiStandIn : IAsyncDisposable
{
    public const string NodeName = "stand-in-node";
    public const string Namespace = "default";
    public const string ServingGroup = "serving.knative.dev";

    private readonly HttpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task serving;
    private readonly object gate = new();
    private readonly Dictionary<string, Dictionary<string, JsonObject>> collections = [];
    private readonly List<(
        long Version,
        string Collection,
        string Type,
        JsonObject Item
    )> changes = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long resourceVersion = 1000;

    public KubernetesApiStandIn(StandInScenario scenario = StandInScenario.HappyPath)
    {
        Scenario = scenario;
        (listener, Port) = LoopbackPorts.StartListener();
        serving = ServeAsync();
    }

    public StandInScenario Scenario { get; set; }
    public int Port { get; }

    /// <summary>Requests received, as "METHOD path?query".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Bodies of the Knative Services created through POST, as received.</summary>
    public ConcurrentQueue<JsonObject> CreatedServices { get; } = new();

    /// <summary>(verb, resource) pairs rejected with 403 Forbidden.</summary>
    public ConcurrentDictionary<(string Verb, string Resource), bool> Forbidden { get; } = new();

    /// <summary>False makes the serving.knative.dev API unknown, as on a cluster without
    /// Knative.</summary>
    public bool ServingInstalled { get; set; } = true;

    /// <summary>True makes the first pod of every new service fail its image pull, so the
    /// service never becomes ready.</summary>
    public bool FailDeployments { get; set; }

    /// <summary>True leaves every new service not ready, with a pending pod.</summary>
    public bool HoldDeployments { get; set; }

    /// <summary>Kubelet's pull duration written into the Pulled event.</summary>
    public string ReportedPullDuration { get; set; } = "1.5s";

    /// <summary>Pause between two steps of a scripted pod start.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>How long a pod lives after its request before Knative would scale it away.
    /// </summary>
    public TimeSpan ScaleDownDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Writes a kubeconfig pointing at this stand-in and returns its path.</summary>
    public string WriteKubeconfig(string folder)
    {
        var path = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(
            path,
            $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: stand-in
                cluster:
                  server: http://127.0.0.1:{Port}
            contexts:
              - name: stand-in
                context:
                  cluster: stand-in
                  user: harness
                  namespace: {Namespace}
            current-context: stand-in
            users:
              - name: harness
                user:
                  token: stand-in-token
            """
        );
        return path;
    }

    /// <summary>Returns copies of the objects in a collection ("services", "pods", "events").
    /// </summary>
    public IReadOnlyList<JsonObject> Objects(string collection)
    {
        lock (gate)
        {
            return Collection(collection)
                .Values.Select(item => item.DeepClone().AsObject())
                .ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        // Close alone, because Close after Stop unregisters the prefix a second time, which
        // binds the freed port again and fails if a test running alongside has taken it.
        listener.Close();
        try
        {
            await serving;
        }
        catch (Exception exception)
            when (exception
                    is HttpListenerException
                        or ObjectDisposedException
                        or OperationCanceledException
            ) { }

        stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception)
                when (exception
                        is HttpListenerException
                            or ObjectDisposedException
                            or InvalidOperationException
                )
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            Requests.Enqueue($"{request.HttpMethod} {request.Url!.PathAndQuery}");
            await RouteAsync(request, response);
        }
        catch (Exception exception)
            when (exception
                    is HttpListenerException
                        or IOException
                        or ObjectDisposedException
                        or OperationCanceledException
            )
        {
            // The client went away, or the stand-in is stopping.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception exception)
                when (exception is HttpListenerException or ObjectDisposedException or IOException)
            { }
        }
    }

    private async Task RouteAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        var segments = request.Url!.AbsolutePath.Trim('/').Split('/');
        var query = HttpUtility.ParseQueryString(request.Url.Query);
        var path = string.Join('/', segments);

        if (path == "version")
        {
            await WriteJsonAsync(
                response,
                200,
                new JsonObject
                {
                    ["major"] = "1",
                    ["minor"] = "29",
                    ["gitVersion"] = "v1.29.4-stand-in",
                    ["platform"] = "linux/amd64",
                }
            );
            return;
        }

        if (path == $"apis/{ServingGroup}/v1")
        {
            if (!ServingInstalled)
            {
                await WriteStatusAsync(
                    response,
                    404,
                    "NotFound",
                    "the server could not find " + "the requested resource",
                    null
                );
                return;
            }

            await WriteJsonAsync(response, 200, ServingResources());
            return;
        }

        if (path == "api/v1/nodes")
        {
            if (await RejectIfForbiddenAsync(response, "list", "nodes", "", null))
            {
                return;
            }

            await WriteJsonAsync(
                response,
                200,
                new JsonObject
                {
                    ["kind"] = "NodeList",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = CurrentVersion() },
                    ["items"] = new JsonArray(
                        new JsonObject
                        {
                            ["kind"] = "Node",
                            ["apiVersion"] = "v1",
                            ["metadata"] = new JsonObject
                            {
                                ["name"] = NodeName,
                                ["uid"] = "node-1",
                            },
                        }
                    ),
                }
            );
            return;
        }

        // apis/serving.knative.dev/v1/namespaces/NS/services[/NAME]
        if (
            segments
            is [
                "apis",
                ServingGroup,
                "v1",
                "namespaces",
                var serviceNamespace,
                "services",
                .. var serviceRest,
            ]
        )
        {
            await ServicesAsync(
                request,
                response,
                serviceNamespace,
                serviceRest.FirstOrDefault(),
                query
            );
            return;
        }

        // api/v1/namespaces/NS/pods or events
        if (
            segments is ["api", "v1", "namespaces", var coreNamespace, var resource]
            && resource is "pods" or "events"
        )
        {
            var verb = query["watch"] == "true" ? "watch" : "list";
            if (await RejectIfForbiddenAsync(response, verb, resource, "", coreNamespace))
            {
                return;
            }

            if (verb == "watch")
            {
                await WatchAsync(response, resource, query);
            }
            else
            {
                await ListAsync(response, resource, query);
            }

            return;
        }

        await WriteStatusAsync(
            response,
            404,
            "NotFound",
            $"the stand-in does not serve {request.HttpMethod} /{path}",
            null
        );
    }

    private async Task ServicesAsync(
        HttpListenerRequest request,
        HttpListenerResponse response,
        string namespaceName,
        string? name,
        System.Collections.Specialized.NameValueCollection query
    )
    {
        var verb = (request.HttpMethod, name) switch
        {
            ("GET", null) => "list",
            ("GET", _) => "get",
            ("POST", null) => "create",
            ("PUT", _) => "update",
            ("DELETE", null) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => "unknown",
        };
        if (await RejectIfForbiddenAsync(response, verb, "services", ServingGroup, namespaceName))
        {
            return;
        }

        switch (verb)
        {
            case "create":
            {
                var body = await ReadBodyAsync(request);
                CreatedServices.Enqueue(body.DeepClone().AsObject());
                var serviceName = body["metadata"]?["name"]?.ToString() ?? "";
                if (Get("services", serviceName) is not null)
                {
                    await WriteStatusAsync(
                        response,
                        409,
                        "AlreadyExists",
                        $"services.{ServingGroup} \"{serviceName}\" already exists",
                        null
                    );
                    return;
                }

                var stored = CreateService(body);
                await WriteJsonAsync(response, 201, stored);
                return;
            }

            case "get":
            {
                var stored = Get("services", name!);
                if (stored is null)
                {
                    await WriteStatusAsync(
                        response,
                        404,
                        "NotFound",
                        $"services.{ServingGroup} \"{name}\" not found",
                        null
                    );
                    return;
                }

                await WriteJsonAsync(response, 200, stored);
                return;
            }

            case "update":
            {
                var body = await ReadBodyAsync(request);
                await WriteJsonAsync(response, 200, ReplaceService(body));
                return;
            }

            case "list":
                await ListAsync(response, "services", query);
                return;

            case "deletecollection":
            {
                var deleted = DeleteServices(query["labelSelector"]);
                await WriteJsonAsync(
                    response,
                    200,
                    new JsonObject
                    {
                        ["kind"] = "ServiceList",
                        ["apiVersion"] = $"{ServingGroup}/v1",
                        ["metadata"] = new JsonObject(),
                        ["items"] = new JsonArray(deleted.Select(item => (JsonNode)item).ToArray()),
                    }
                );
                return;
            }

            default:
                await WriteStatusAsync(
                    response,
                    405,
                    "MethodNotAllowed",
                    $"the stand-in does not support {request.HttpMethod} on services",
                    null
                );
                return;
        }
    }

    private async Task ListAsync(
        HttpListenerResponse response,
        string collection,
        System.Collections.Specialized.NameValueCollection query
    )
    {
        JsonArray items;
        string version;
        lock (gate)
        {
            var matching = Collection(collection)
                .Values.Where(item => MatchesSelector(item, query["labelSelector"]))
                .Select(item => (JsonNode)item.DeepClone());
            if (int.TryParse(query["limit"], out var limit))
            {
                matching = matching.Take(limit);
            }

            items = new JsonArray(matching.ToArray());
            version = CurrentVersion();
        }

        var kind = collection switch
        {
            "pods" => "PodList",
            "events" => "EventList",
            _ => "ServiceList",
        };
        await WriteJsonAsync(
            response,
            200,
            new JsonObject
            {
                ["kind"] = kind,
                ["apiVersion"] = collection == "services" ? $"{ServingGroup}/v1" : "v1",
                ["metadata"] = new JsonObject { ["resourceVersion"] = version },
                ["items"] = items,
            }
        );
    }

    // A watch sends every change after the requested resourceVersion, or, without one, the
    // current objects as ADDED first, then streams changes until the client or the stand-in
    // goes away or timeoutSeconds runs out, as the API server does.
    private async Task WatchAsync(
        HttpListenerResponse response,
        string collection,
        System.Collections.Specialized.NameValueCollection query
    )
    {
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.SendChunked = true;
        var selector = query["labelSelector"];
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(5);
        using var watchEnd = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        watchEnd.CancelAfter(timeout);

        var output = response.OutputStream;
        long since;
        var pending = new List<(string Type, JsonObject Item)>();
        lock (gate)
        {
            if (long.TryParse(query["resourceVersion"], out var requested) && requested > 0)
            {
                since = requested;
            }
            else
            {
                since = resourceVersion;
                pending.AddRange(
                    Collection(collection)
                        .Values.Select(item => ("ADDED", item.DeepClone().AsObject()))
                );
            }
        }

        while (!watchEnd.IsCancellationRequested)
        {
            Task signal;
            lock (gate)
            {
                foreach (
                    var change in changes.Where(change =>
                        change.Version > since && change.Collection == collection
                    )
                )
                {
                    pending.Add((change.Type, change.Item));
                }

                since = resourceVersion;
                signal = changed.Task;
            }

            foreach (var (type, item) in pending.Where(p => MatchesSelector(p.Item, selector)))
            {
                var line =
                    new JsonObject { ["type"] = type, ["object"] = item.DeepClone() }.ToJsonString()
                    + "\n";
                var bytes = Encoding.UTF8.GetBytes(line);
                await output.WriteAsync(bytes, watchEnd.Token);
                await output.FlushAsync(watchEnd.Token);
            }

            pending.Clear();
            try
            {
                await signal.WaitAsync(watchEnd.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> RejectIfForbiddenAsync(
        HttpListenerResponse response,
        string verb,
        string resource,
        string group,
        string? namespaceName
    )
    {
        if (!Forbidden.ContainsKey((verb, resource)))
        {
            return false;
        }

        // The API server's authorizer message, word for word in its structure.
        var qualified = group.Length == 0 ? resource : $"{resource}.{group}";
        var scope = namespaceName is null
            ? "at the cluster scope"
            : $"in the namespace \"{namespaceName}\"";
        var message =
            $"{qualified} is forbidden: User \"system:serviceaccount:default:harness\" "
            + $"cannot {verb} resource \"{resource}\" in API group \"{group}\" {scope}";
        await WriteStatusAsync(
            response,
            403,
            "Forbidden",
            message,
            new JsonObject { ["group"] = group, ["kind"] = resource }
        );
        return true;
    }

    private static bool MatchesSelector(JsonObject item, string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        var labels = item["metadata"]?["labels"] as JsonObject;
        foreach (var term in selector.Split(','))
        {
            var parts = term.Split('=', 2);
            if (parts.Length != 2 || labels?[parts[0]]?.ToString() != parts[1])
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        return JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
    }

    private static async Task WriteJsonAsync(
        HttpListenerResponse response,
        int statusCode,
        JsonNode body
    )
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    private static Task WriteStatusAsync(
        HttpListenerResponse response,
        int code,
        string reason,
        string message,
        JsonObject? details
    ) =>
        WriteJsonAsync(
            response,
            code,
            new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject(),
                ["status"] = "Failure",
                ["message"] = message,
                ["reason"] = reason,
                ["details"] = details,
                ["code"] = code,
            }
        );

    private static JsonObject ServingResources() =>
        new()
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = $"{ServingGroup}/v1",
            ["resources"] = new JsonArray(
                Resource("services", "Service", "ksvc"),
                Resource("revisions", "Revision", "rev"),
                Resource("routes", "Route", "rt"),
                Resource("configurations", "Configuration", "config")
            ),
        };

    private static JsonObject Resource(string name, string kind, string shortName) =>
        new()
        {
            ["name"] = name,
            ["singularName"] = kind.ToLowerInvariant(),
            ["namespaced"] = true,
            ["kind"] = kind,
            ["verbs"] = new JsonArray(
                "delete",
                "deletecollection",
                "get",
                "list",
                "patch",
                "create",
                "update",
                "watch"
            ),
            ["shortNames"] = new JsonArray(shortName),
            ["categories"] = new JsonArray("all", "knative", "serving"),
        };

    // Store. Every change gets the next resourceVersion and goes to the change log that
    // watches replay.
    private Dictionary<string, JsonObject> Collection(string name)
    {
        if (!collections.TryGetValue(name, out var collection))
        {
            collection = [];
            collections[name] = collection;
        }

        return collection;
    }

    private string CurrentVersion() => resourceVersion.ToString();

    private JsonObject? Get(string collection, string name)
    {
        lock (gate)
        {
            return Collection(collection).TryGetValue(name, out var item)
                ? item.DeepClone().AsObject()
                : null;
        }
    }

    private JsonObject Put(string collection, JsonObject item, string type = "MODIFIED")
    {
        lock (gate)
        {
            resourceVersion++;
            var metadata = item["metadata"]!.AsObject();
            metadata["resourceVersion"] = CurrentVersion();
            var name = metadata["name"]!.ToString();
            var isNew = !Collection(collection).ContainsKey(name);

            // The caller keeps changing its copy between steps of a script.
            Collection(collection)[name] = item.DeepClone().AsObject();
            changes.Add(
                (resourceVersion, collection, isNew ? "ADDED" : type, item.DeepClone().AsObject())
            );
            SignalChange();
            return item.DeepClone().AsObject();
        }
    }

    private void Remove(string collection, string name)
    {
        lock (gate)
        {
            if (!Collection(collection).Remove(name, out var item))
            {
                return;
            }

            resourceVersion++;
            item["metadata"]!["resourceVersion"] = CurrentVersion();
            changes.Add((resourceVersion, collection, "DELETED", item));
            SignalChange();
        }
    }

    private void SignalChange()
    {
        var previous = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
