using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Harness.Experiments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Network;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the registry that emulates the network link between
/// the node and a remote registry: the node pulls through <see cref="Endpoint"/>, so only that
/// traffic is shaped, and the link counts the bytes it delivers each way.
/// </summary>
/// <remarks>
/// <para>Each direction adds half the round-trip time to every chunk and paces chunks at the
/// bandwidth through one queue shared by all connections, as one network interface would.
/// A new connection's data waits one round trip, the TCP handshake on a real link.</para>
/// <para>A TCP proxy cannot drop packets, because both of its sockets retransmit on their own,
/// so loss is modelled as its cost. Each 1448-byte segment is lost with the given probability.
/// A chunk with a lost segment arrives one round trip late (fast retransmit) and takes the
/// link's bandwidth twice, and the chunks behind it on its connection wait for it, because TCP
/// delivers in order.</para>
/// <para>NOTE: the congestion window's reduction after a loss is not modelled, so a lossy link
/// keeps more of its bandwidth than real TCP would.</para>
/// </remarks>
public sealed class RegistryLink : IAsyncDisposable
{
    // A queue of one bandwidth-delay product per direction and connection is enough for one
    // connection to fill the link. A longer queue would only delay the other connections.
    // This floor keeps a small product from idling the link when the proxy runs late.
    private const int MinQueueBytes = 128 * 1024;

    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly TcpListener listener;
    private readonly string? statusPath;
    private readonly CancellationTokenSource shutdown = new();
    private readonly ConcurrentDictionary<LinkConnection, Task> connections = new();
    private Task acceptLoop = Task.CompletedTask;
    private long bytesToNode;
    private long bytesToRegistry;
    private int disposed;

    private RegistryLink(
        TcpListener listener,
        IPEndPoint registry,
        NetworkLink? settings,
        RegistryLinkOptions options
    )
    {
        this.listener = listener;
        statusPath = options.StatusPath;
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
        Registry = registry;
        Settings = settings;
        Logger = options.Logger ?? NullLogger.Instance;
        QueueCapacity = 4;
        if (settings is null)
        {
            return;
        }

        // Each direction draws from its own generator, because Random is not thread-safe.
        var seed = options.LossSeed ?? Random.Shared.Next();
        ToNode = new LinkDirection(settings, new Random(seed));
        ToRegistry = new LinkDirection(settings, new Random(unchecked(seed + 1)));
        ConnectDelayTicks = (long)Math.Round(settings.RttMs * Stopwatch.Frequency / 1000);
        var bandwidthDelayBytes = settings.BandwidthMbit * 1_000_000 / 8 * settings.RttMs / 1000;
        var queueBytes = Math.Max(MinQueueBytes, bandwidthDelayBytes);
        QueueCapacity = (int)Math.Ceiling(queueBytes / LinkConnection.ChunkBytes);
    }

    /// <summary>Address on 127.0.0.1 that the node pulls from instead of the registry.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Address of the registry behind the link.</summary>
    public IPEndPoint Registry { get; }

    /// <summary>The emulated link, or null when traffic passes through unshaped.</summary>
    public NetworkLink? Settings { get; }

    /// <summary>True when the link adds delay and limits bandwidth.</summary>
    public bool IsShaping => Settings is not null;

    /// <summary>Bytes delivered from the registry to the node since start or the last
    /// <see cref="ResetCounters"/>.</summary>
    public long BytesToNode => Interlocked.Read(ref bytesToNode);

    /// <summary>Bytes delivered from the node to the registry since start or the last
    /// <see cref="ResetCounters"/>.</summary>
    public long BytesToRegistry => Interlocked.Read(ref bytesToRegistry);

    internal LinkDirection? ToNode { get; }

    internal LinkDirection? ToRegistry { get; }

    /// <summary>Stopwatch ticks a new connection waits before its first data is relayed.
    /// </summary>
    internal long ConnectDelayTicks { get; }

    /// <summary>Chunks each direction of a connection may hold between receive and delivery.
    /// </summary>
    internal int QueueCapacity { get; }

    internal ILogger Logger { get; }

    /// <summary>Starts a link on a free port in front of <paramref name="registry"/>, recorded
    /// in <see cref="RegistryLinkStatus.DefaultPath"/>; null settings pass traffic unshaped.
    /// </summary>
    public static Task<RegistryLink> StartAsync(
        IPEndPoint registry,
        NetworkLink? settings,
        CancellationToken cancellationToken
    ) => StartAsync(registry, settings, new RegistryLinkOptions(), cancellationToken);

    /// <summary>Starts a link in front of <paramref name="registry"/> with the given options;
    /// null settings pass traffic unshaped.</summary>
    public static async Task<RegistryLink> StartAsync(
        IPEndPoint registry,
        NetworkLink? settings,
        RegistryLinkOptions options,
        CancellationToken cancellationToken
    )
    {
        ValidateRegistry(registry);
        if (settings is not null)
        {
            ValidateSettings(settings);
        }

        var listener = new TcpListener(IPAddress.Loopback, options.ListenPort);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new HarnessException(
                $"Could not start the registry link: port {options.ListenPort} on 127.0.0.1 "
                    + "is already in use. Stop the program that uses it, or choose another port.",
                e
            );
        }

        var link = new RegistryLink(listener, registry, settings, options);
        try
        {
            await link.WriteStatusAsync(cancellationToken);
        }
        catch
        {
            listener.Stop();
            throw;
        }

        // On the thread pool, so no connection inherits the caller's synchronization context
        // (a UI or test framework context would queue every chunk behind its other work).
        link.acceptLoop = Task.Run(() => link.AcceptAsync(link.shutdown.Token));
        return link;
    }

    /// <summary>Sets both byte counters to zero, between samples.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref bytesToNode, 0);
        Interlocked.Exchange(ref bytesToRegistry, 0);
    }

    /// <summary>Stops listening, closes every relayed connection and removes the status file.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await shutdown.CancelAsync();
        listener.Stop();
        await acceptLoop;
        await Task.WhenAll(connections.Values);
        if (statusPath is not null)
        {
            File.Delete(statusPath);
        }

        shutdown.Dispose();
    }

    internal void CountBytesToNode(int count) => Interlocked.Add(ref bytesToNode, count);

    internal void CountBytesToRegistry(int count) => Interlocked.Add(ref bytesToRegistry, count);

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket node;
            try
            {
                node = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Accept fails for one connection (the node gave up on it, or the process ran
                // out of descriptors), but the listener stays usable. The pause keeps a
                // lasting failure from turning into a busy loop.
                Logger.LogWarning(
                    "Registry link could not accept a connection: {Error}; retrying",
                    e.Message
                );
                await Task.Delay(AcceptRetryDelay, CancellationToken.None);
                continue;
            }

            var connection = new LinkConnection(this, node, Stopwatch.GetTimestamp());
            connections[connection] = RelayAsync(connection, cancellationToken);
        }
    }

    private async Task RelayAsync(LinkConnection connection, CancellationToken cancellationToken)
    {
        // Yield first, so the accept loop goes back to accepting at once. The loop runs on the
        // thread pool, so this continues there too.
        await Task.Yield();
        try
        {
            await connection.RunAsync(cancellationToken);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Registry link connection failed unexpectedly");
        }
        finally
        {
            connections.TryRemove(connection, out _);
        }
    }

    private async Task WriteStatusAsync(CancellationToken cancellationToken)
    {
        if (statusPath is null)
        {
            return;
        }

        var status = RegistryLinkStatus.ForCurrentProcess(Endpoint, Registry, Settings);
        await status.WriteAsync(statusPath, cancellationToken);
    }

    private static void ValidateRegistry(IPEndPoint registry)
    {
        // The link relays to a registry on this machine only; it must never carry traffic to
        // another host.
        if (!IPAddress.IsLoopback(registry.Address))
        {
            throw new ArgumentException(
                "The registry address must be on loopback (127.0.0.0/8 or ::1); "
                    + $"found {registry}.",
                nameof(registry)
            );
        }
    }

    private static void ValidateSettings(NetworkLink settings)
    {
        if (!double.IsFinite(settings.BandwidthMbit) || settings.BandwidthMbit <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(settings),
                settings.BandwidthMbit,
                "The link's bandwidth must be a finite number of Mbit/s above 0."
            );
        }

        if (!double.IsFinite(settings.RttMs) || settings.RttMs < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(settings),
                settings.RttMs,
                "The link's round-trip time must be a finite number of milliseconds, 0 or more."
            );
        }

        if (
            !double.IsFinite(settings.LossPercent)
            || settings.LossPercent < 0
            || settings.LossPercent >= 100
        )
        {
            throw new ArgumentOutOfRangeException(
                nameof(settings),
                settings.LossPercent,
                "The link's loss must be a percentage from 0 up to, but not including, 100."
            );
        }
    }
}
