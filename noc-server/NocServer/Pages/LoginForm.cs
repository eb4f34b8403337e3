using System.Text.Encodings.Web;

namespace Network.Noc.Pages;

/// <summary>The login page: a plain form posted back to <c>/login</c> with its antiforgery token; works without script.</summary>
internal static class LoginForm
{
    public static string Render(string antiforgeryToken, string returnUrl, string? error)
    {
        HtmlEncoder html = HtmlEncoder.Default;
        string message = error is null
            ? ""
            : $"""<p class="error" role="alert" id="login-error">{html.Encode(error)}</p>""";
        return $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · NOC</title>
            <link rel="stylesheet" href="/css/noc.css">
            </head>
            <body class="login-body">
            <main id="main" class="login">
            <h1>Network operations centre</h1>
            <p class="lead">Urbizone hotspots and Fiber to the School links. Sign in to continue.</p>
            {message}
            <form method="post" action="/login" class="login-form">
            <input type="hidden" name="__RequestVerificationToken" value="{html.Encode(antiforgeryToken)}">
            <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
            <label for="name">User name</label>
            <input id="name" name="name" type="text" autocomplete="username" required maxlength="64" autofocus>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
            <button type="submit">Sign in</button>
            </form>
            </main>
            </body>
            </html>
            """;
    }
}
