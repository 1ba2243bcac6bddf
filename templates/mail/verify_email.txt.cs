<?cs escape: "none" ?>Hello <?cs var:Mail.Username ?>,

Confirm your email address for <?cs var:Brand.Title ?> by following this link:

<?cs var:Mail.Link ?>

The link works once and expires in <?cs var:Mail.Lifetime ?>.
If you did not ask for it, you can ignore this message.
<?cs /escape ?>
