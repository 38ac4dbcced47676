using System.Net;
using System.Text;

namespace Harness.Tests.Knative;

/// <summary>A tiny HTTP server on 127.0.0.1 that plays the function inside the pod.</summary>
internal sealed class FunctionStandIn : IAsyncDisposable
{
    public const string ResponseBody = "hello from the stand-in function\n";

    private readonly HttpListener listener;
    private readonly Task serving;

    public FunctionStandIn()
    {
        (listener, Port) = LoopbackPorts.StartListener();
        serving = ServeAsync();
    }

    public int Port { get; }
    public int RequestCount => requestCount;

    private int requestCount;

    public async ValueTask DisposeAsync()
    {
        // Close alone, because Close after Stop binds the freed port again.
        listener.Close();
        try
        {
            await serving;
        }
        catch (Exception exception)
            when (exception is HttpListenerException or ObjectDisposedException) { }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
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

            Interlocked.Increment(ref requestCount);
            var bytes = Encoding.UTF8.GetBytes(ResponseBody);
            context.Response.StatusCode = 200;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
