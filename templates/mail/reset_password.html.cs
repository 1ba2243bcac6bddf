<?cs def:body() ?>
<p>Hello <?cs var:Mail.Username ?>,</p>
<p>Someone asked to reset the password of your account. To choose a new password, follow this link:</p>
<p><a href="<?cs var:Mail.Link ?>" style="display:inline-block;padding:10px 16px;border-radius:4px;color:#fff;text-decoration:none;background:<?cs alt:Brand.PrimaryColor ?>#1a73e8<?cs /alt ?>">Choose a new password</a></p>
<p style="font-size:13px">Or copy it into your browser: <?cs var:Mail.Link ?></p>
<p>The link works once and expires in <?cs var:Mail.Lifetime ?>. Afterwards you are signed out everywhere.</p>
<?cs /def ?>
<?cs include!"mail/layout_html.cs" ?>
