<?cs # text/plain mail body, never rendered as HTML: HTML escaping would
   show &amp; to the reader.  Values are plain text; header values are
   checked for line breaks where the message is built (src/mail/mail.c). ?><?cs escape: "none" ?>Hello <?cs var:Mail.Username ?>,

Someone asked to reset the password of your account at <?cs var:Brand.Title ?>.
To choose a new password, follow this link:

<?cs var:Mail.Link ?>

The link works once and expires in <?cs var:Mail.Lifetime ?>. Afterwards you
are signed out everywhere. If you did not ask for it, you can ignore this
message: your password stays as it is.
<?cs /escape ?>
