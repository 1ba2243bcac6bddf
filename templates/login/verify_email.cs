<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<h2 id="verify-title">Check your inbox</h2>
<?cs if:Verify.Message ?><p class="message" role="alert" id="message"><?cs var:Verify.Message ?></p><?cs /if ?>
<p class="info" id="verify-text">To continue to <strong class="client-name"><?cs var:Client.Name ?></strong>, confirm your email address<?cs if:Verify.Email ?> <strong id="verify-email"><?cs var:Verify.Email ?></strong><?cs /if ?>: follow the link in the message we sent you.</p>
<form method="post" action="<?cs var:Verify.Action ?>" id="resend">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<input type="hidden" name="pending" value="<?cs var:Verify.Pending ?>">
<button id="submit" type="submit">Send the message again</button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
