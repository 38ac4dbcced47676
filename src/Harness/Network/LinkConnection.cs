using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Harness.Network;

/// <summary>
/// One TCP connection from the node, relayed to the registry through the emulated link. Each
/// direction has a receiver, which stamps every chunk with its release time, and a sender,
/// which delivers the chunks in order once their time has come.
/// </summary>
internal sealed class LinkConnection
{
    /// <summary>Largest chunk read at once; at 100 Mbit/s it takes 1.3 ms to serialize, so
    /// pacing stays finer than the delays being emulated.</summary>
    public const int ChunkBytes = 16 * 1024;

    private static readonly TimeSpan CancellationCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly RegistryLink link;
    private readonly Socket node;
    private readonly long acceptedAt;
    private readonly Socket registry;

    public LinkConnection(RegistryLink link, Socket node, long acceptedAt)
    {
        this.link = link;
        this.node = node;
        this.acceptedAt = acceptedAt;
        registry = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        node.NoDelay = true;
    }

    /// <summary>Relays the connection until both sides have closed, either side fails, or
    /// <paramref name="cancellationToken"/> is cancelled; then closes both sockets.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            try
            {
                await registry.ConnectAsync(link.Registry, connection.Token);
            }
            catch (SocketException e)
            {
                link.Logger.LogWarning(
                    "Registry link could not connect to the registry at {Registry}: {Error}. "
                        + "Closing the node's connection from {Node}; check that the registry "
                        + "runs.",
                    link.Registry,
                    e.Message,
                    node.RemoteEndPoint
                );
                return;
            }

            // On a real link the client's first data leaves only after the SYN and SYN-ACK
            // have crossed, one round trip after connect(). The node's kernel completed the
            // handshake with us at once, so its request waits here unread for that round trip.
            if (link.ConnectDelayTicks > 0)
            {
                await LinkClock.WaitUntilAsync(
                    acceptedAt + link.ConnectDelayTicks,
                    exact: true,
                    connection.Token
                );
            }

            var toRegistry = RelayAsync(
                node,
                registry,
                link.ToRegistry,
                link.CountBytesToRegistry,
                connection
            );
            var toNode = RelayAsync(registry, node, link.ToNode, link.CountBytesToNode, connection);
            await Task.WhenAll(toRegistry, toNode);
        }
        catch (OperationCanceledException) when (connection.IsCancellationRequested)
        {
            // Closed by the link's shutdown, or one direction failed and cancelled the other.
        }
        catch (SocketException e)
        {
            link.Logger.LogDebug(
                "Registry link connection from {Node} ended: {Error}",
                node.RemoteEndPoint,
                e.Message
            );
        }
        finally
        {
            node.Dispose();
            registry.Dispose();
        }
    }

    private async Task RelayAsync(
        Socket source,
        Socket destination,
        LinkDirection? direction,
        Action<int> countDelivered,
        CancellationTokenSource connection
    )
    {
        var queue = Channel.CreateBounded<LinkChunk>(
            new BoundedChannelOptions(link.QueueCapacity)
            {
                SingleReader = true,
                SingleWriter = true,
            }
        );
        var receiving = ReceiveOnOwnThreadAsync(source, direction, queue.Writer, connection);
        var sending = SendAsync(queue.Reader, destination, countDelivered, connection);
        await Task.WhenAll(receiving, sending);
    }

    /// <summary>Runs <see cref="Receive"/> on a thread of its own and completes when it
    /// returns.</summary>
    /// <remarks>
    /// An asynchronous receive wakes the runtime's socket polling thread and then a thread-pool
    /// thread before the chunk is stamped. After an idle pause each wake-up can take a few
    /// tenths of a millisecond on a virtual machine, which would count as link delay. A thread
    /// blocked in poll() on the socket is woken once, by the kernel.
    /// </remarks>
    private static Task ReceiveOnOwnThreadAsync(
        Socket source,
        LinkDirection? direction,
        ChannelWriter<LinkChunk> queue,
        CancellationTokenSource connection
    )
    {
        var completion = new TaskCompletionSource(
            TaskCreationOptions.RunContinuationsAsynchronously
        );
        var thread = new Thread(() =>
        {
            try
            {
                Receive(source, direction, queue, connection);
                completion.SetResult();
            }
            catch (OperationCanceledException exception)
            {
                completion.SetCanceled(exception.CancellationToken);
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = "Registry link receiver",
        };
        thread.Start();
        return completion.Task;
    }

    private static void Receive(
        Socket source,
        LinkDirection? direction,
        ChannelWriter<LinkChunk> queue,
        CancellationTokenSource connection
    )
    {
        var cancellationToken = connection.Token;
        long? previousSent = null;
        try
        {
            while (true)
            {
                // Wait for room first, so a chunk is stamped when it enters the link's queue
                // and not while it waits outside it. This thread does nothing else, so it may
                // block.
                if (!queue.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                {
                    return;
                }

                var dataWasWaiting = source.Available > 0;
                if (!dataWasWaiting)
                {
                    // Poll returns when data, the end of the stream or an error has arrived.
                    // The timeout only lets the loop notice cancellation.
                    while (!source.Poll(CancellationCheckInterval, SelectMode.SelectRead))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }

                var arrival = Stopwatch.GetTimestamp();
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                int received;
                try
                {
                    received = source.Receive(buffer, 0, ChunkBytes, SocketFlags.None);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                // Data that was already waiting had been sent while the link carried this
                // connection's earlier chunks, so only the proxy's own delay kept it off the
                // link. The first chunk has no earlier one: it may have waited on purpose, for
                // the emulated handshake.
                var waitingSince = dataWasWaiting && received > 0 ? previousSent : null;
                var schedule = direction?.Schedule(received, arrival, waitingSince)
                    ?? new LinkSchedule(arrival, Exact: false, Sent: arrival);
                previousSent = schedule.Sent;
                if (received == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    queue.TryWrite(new LinkChunk(null, 0, schedule));
                    queue.Complete();
                    return;
                }

                queue.TryWrite(new LinkChunk(buffer, received, schedule));
            }
        }
        catch
        {
            connection.Cancel();
            throw;
        }
    }

    private static async Task SendAsync(
        ChannelReader<LinkChunk> queue,
        Socket destination,
        Action<int> countDelivered,
        CancellationTokenSource connection
    )
    {
        var cancellationToken = connection.Token;
        try
        {
            await foreach (var chunk in queue.ReadAllAsync(cancellationToken))
            {
                await LinkClock.WaitUntilAsync(
                    chunk.Schedule.Release,
                    chunk.Schedule.Exact,
                    cancellationToken
                );
                if (chunk.IsEndOfStream)
                {
                    destination.Shutdown(SocketShutdown.Send);
                    return;
                }

                // Counted before the send completes, so a reader that has the bytes always
                // finds them counted.
                countDelivered(chunk.Length);
                try
                {
                    await destination.SendAsync(
                        chunk.Buffer.AsMemory(0, chunk.Length),
                        SocketFlags.None,
                        cancellationToken
                    );
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer!);
                }
            }
        }
        catch
        {
            await connection.CancelAsync();
            throw;
        }
    }
}
