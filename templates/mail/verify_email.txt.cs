<?cs # text/plain mail body, never rendered as HTML: HTML escaping would
   show &amp; to the reader.  Values are plain text; header values are
   checked for line breaks where the message is built (src/mail/mail.c).
   Texts come from templates/messages/. ?><?cs escape: "none" ?><?cs var:Msg.mailHello.0 ?><?cs var:Mail.Username ?><?cs var:Msg.mailHello.1 ?>

<?cs var:Msg.mailVerifyIntro.0 ?><?cs var:Brand.Title ?><?cs var:Msg.mailVerifyIntro.1 ?>

<?cs var:Mail.Link ?>

<?cs var:Msg.mailLinkExpires.0 ?><?cs var:Mail.Lifetime ?><?cs var:Msg.mailLinkExpires.1 ?>
<?cs var:Msg.mailIgnore ?>
<?cs /escape ?>
