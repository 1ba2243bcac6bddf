<?cs def:body() ?>
<p>Hello <?cs var:Mail.Username ?>,</p>
<p>Confirm your email address by following this link:</p>
<p><a href="<?cs var:Mail.Link ?>" style="display:inline-block;padding:10px 16px;border-radius:4px;color:#fff;text-decoration:none;background:<?cs alt:Brand.PrimaryColor ?>#1a73e8<?cs /alt ?>">Confirm my email address</a></p>
<p style="font-size:13px">Or copy it into your browser: <?cs var:Mail.Link ?></p>
<p>The link works once and expires in <?cs var:Mail.Lifetime ?>.</p>
<?cs /def ?>
<?cs include!"mail/layout_html.cs" ?>
