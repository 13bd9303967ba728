using System.Net;
using System.Net.Sockets;

namespace Hearth.Tests.Infrastructure;

internal static class Ports
{
    /// <summary>A port no one listened on a moment ago, for a server that must be told its port before it starts.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
