using System.Net;
using System.Net.Sockets;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Forwards MQTT between a client and the node, and when told, cuts both connections at the
/// first PUBACK from the node instead of passing it on: the node stored the readings, the
/// client never heard.
/// </summary>
internal sealed class PubAckDroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public PubAckDroppingProxy(int target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public volatile bool DropNextPubAck;

    public volatile bool Dropped;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, _target);
        var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
        var down = DownAsync(server.GetStream(), client.GetStream());
        await Task.WhenAny(up, down);
    }

    /// <summary>Node to client, packet by packet.</summary>
    private async Task DownAsync(Stream from, Stream to)
    {
        try
        {
            while (true)
            {
                var header = new byte[1];
                await from.ReadExactlyAsync(header, _stop.Token);
                var lengthBytes = new List<byte>();
                int length = 0, shift = 0;
                byte b;
                do
                {
                    var one = new byte[1];
                    await from.ReadExactlyAsync(one, _stop.Token);
                    b = one[0];
                    lengthBytes.Add(b);
                    length |= (b & 0x7F) << shift;
                    shift += 7;
                }
                while ((b & 0x80) != 0);
                var body = new byte[length];
                await from.ReadExactlyAsync(body, _stop.Token);
                if ((header[0] & 0xF0) == 0x40 && DropNextPubAck)
                {
                    DropNextPubAck = false;
                    Dropped = true;
                    return;
                }
                await to.WriteAsync(header, _stop.Token);
                await to.WriteAsync(lengthBytes.ToArray(), _stop.Token);
                await to.WriteAsync(body, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
