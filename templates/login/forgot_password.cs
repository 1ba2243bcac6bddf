<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<h2><?cs var:Msg.forgotTitle ?></h2>
<?cs if:Forgot.Message ?><p class="message" role="alert" id="message"><?cs var:Forgot.Message ?></p><?cs /if ?>
<?cs if:Forgot.Sent ?><p class="info" id="sent"><?cs var:Msg.forgotSent ?></p>
<?cs else ?><p class="info"><?cs var:Msg.forgotIntro ?></p><?cs /if ?>
<form method="post" action="<?cs var:Forgot.Action ?>" id="forgot-password">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<label for="username"><?cs var:Msg.usernameOrEmail ?></label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus>
<button id="submit" type="submit"><?cs var:Msg.sendLink ?></button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
