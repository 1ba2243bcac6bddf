<?cs # text/plain mail body, never rendered as HTML: HTML escaping would
   show &amp; to the reader.  Values are plain text; header values are
   checked for line breaks where the message is built (src/mail/mail.c). ?><?cs escape: "none" ?>Hello <?cs var:Mail.Username ?>,

Confirm your email address for <?cs var:Brand.Title ?> by following this link:

<?cs var:Mail.Link ?>

The link works once and expires in <?cs var:Mail.Lifetime ?>.
If you did not ask for it, you can ignore this message.
<?cs /escape ?>
