namespace Network.WebPages;

/// <summary>One form field's error: the field's <c>name</c> (and <c>id</c>) and the message, for the field and the error summary.</summary>
public sealed record FieldError(string Field, string Message);
