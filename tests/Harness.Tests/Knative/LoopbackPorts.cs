using System.Net;

namespace Harness.Tests.Knative;

/// <summary>Starts HTTP listeners on 127.0.0.1 in the port range kept for these tests.</summary>
internal static class LoopbackPorts
{
    public const int First = 15300;
    public const int Last = 15399;

    /// <summary>Starts a listener on the first free port of the range, beginning at a random
    /// offset so that test classes running in parallel rarely collide.</summary>
    public static (HttpListener Listener, int Port) StartListener()
    {
        var count = Last - First + 1;
        var offset = Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            var port = First + (offset + i) % count;
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException)
            {
                listener.Close();
            }
        }

        throw new InvalidOperationException(
            $"No free port between {First} and {Last} on 127.0.0.1."
        );
    }
}
