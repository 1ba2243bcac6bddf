<?cs def:body() ?>
<p><?cs var:Msg.mailHello.0 ?><?cs var:Mail.Username ?><?cs var:Msg.mailHello.1 ?></p>
<p><?cs var:Msg.mailResetIntro.0 ?><?cs var:Brand.Title ?><?cs var:Msg.mailResetIntro.1 ?></p>
<p><a href="<?cs var:Mail.Link ?>" style="display:inline-block;padding:10px 16px;border-radius:4px;color:#fff;text-decoration:none;background:<?cs alt:Brand.PrimaryColor ?>#1a73e8<?cs /alt ?>"><?cs var:Msg.mailResetButton ?></a></p>
<p style="font-size:13px"><?cs var:Msg.mailCopyLink ?> <?cs var:Mail.Link ?></p>
<p><?cs var:Msg.mailLinkExpires.0 ?><?cs var:Mail.Lifetime ?><?cs var:Msg.mailLinkExpires.1 ?> <?cs var:Msg.mailResetSignedOut ?></p>
<?cs /def ?>
<?cs include!"mail/layout_html.cs" ?>
